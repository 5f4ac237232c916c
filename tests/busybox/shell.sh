# shell.sh DIR: Debian's busybox-static's own shell (ash) running a script of pipelines,
# redirections, loops, functions and command substitution, in Sparrow (USERLAND=busybox:
# /bin/sh is busybox) and on Linux (`busybox sh shell.sh DIR`); tools/test.py compares what
# the two print. Each pipeline stage and $(...) is a fork (glibc's clone) or a vfork.
echo shell: start
mkdir -p "$1" && cd "$1" || exit 1
echo a | cat
echo one two three | tr ' ' '\n' | sort | tr '\n' ' '
echo
seq 1 10 > nums
sort -rn < nums | head -3
tail -n 2 nums
cat nums nums | sort -n | uniq -c | head -3
for w in b a c a b a; do echo $w; done | sort | uniq -c
i=0
while [ $i -lt 5 ]; do i=$((1 + i)); done
echo "while: i=$i"
n=$(wc -l < nums)
echo "command substitution: $n lines, $(seq 3 | tr '\n' ,)"
echo "nested: $(echo $(echo inner))"
greet() { echo "hello, $1"; return 3; }
greet world
echo "function status: $?"
echo out > f1
echo more >> f1
cat f1
cat < f1 | wc -l
ls nosuchfile 2> err || echo "ls failed, stderr to a file: $(wc -l < err) line"
{ echo grouped; echo lines; } | sort -r
( cd / && pwd )
pwd | sed "s|$1|DIR|"
case "x$n" in x10) echo "case: ten" ;; *) echo "case: other" ;; esac
mkdir -p d/e && touch d/a d/e/b d/e/c
find d -type f | sort
find d -name 'c' | xargs echo found:
find d -type f | sort | xargs -n 1 basename | tr '\n' ' '
echo
if grep -q 5 nums; then echo "if: grep found 5"; fi
false || echo "or: false failed"
true && echo "and: true passed"
yes | head -3
seq 100 | grep 7 | wc -l
echo $((6 * 7)) $((17 % 5))
set -- x y z
echo "args: $# $2"
sleep 0 & wait $! && echo "background job waited for"
rm -r d f1 err nums
ls
echo shell: end
