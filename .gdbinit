# Sparrow's gdb setup, loaded by `make gdb` (which tells gdb this file is safe to load).
# To use plain `gdb` in this directory, add this line to ~/.gdbinit:
#     add-auto-load-safe-path /path/to/sparrow/.gdbinit
#
# It sets 64-bit mode *before* connecting (QEMU always sends 64-bit registers; without this
# gdb says "Remote 'g' packet reply is too long"), loads the kernel's symbols, connects to
# this user's QEMU (port 25000 + uid % 5000, as `make print-gdbport` says; the environment
# variable GDBPORT overrides it) and loads the helper commands in tools/gdb/.
set confirm off
set pagination off
set architecture i386:x86-64
set disassembly-flavor att

python
import os
import gdb

def _sparrow_setup():
    here = os.getcwd()
    kernel = os.path.join(here, "obj", "kernel.elf")
    if os.path.exists(kernel):
        gdb.execute("file " + kernel)
    else:
        print("sparrow: obj/kernel.elf does not exist yet; run `make` (or make qemu-nox-gdb) first")
    port = int(os.environ.get("GDBPORT") or 25000 + os.getuid() % 5000)
    try:
        gdb.execute("target remote localhost:%d" % port)
    except gdb.error as e:
        print("sparrow: cannot connect to QEMU on port %d (%s).\n"
              "         Is `make qemu-nox-gdb` running in another terminal?" % (port, e))
    helpers = os.path.join(here, "tools", "gdb", "sparrow.py")
    if os.path.exists(helpers):
        gdb.execute("source " + helpers)

_sparrow_setup()
end
