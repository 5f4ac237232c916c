# applets.sh BUSYBOX DIR: Debian's busybox-static's applets, one after the other, run by
# Sparrow's sh in Sparrow and by the host's sh on Linux (tools/test.py compares what the
# two print). Only simple commands, pipes and redirections, so both shells read it alike;
# nothing printed depends on the machine (times, pids, inode numbers, directory sizes).
echo applets: start
$1 mkdir -p $2
cd $2
$1 seq 1 20 > nums
$1 sort -rn nums | $1 head -3
$1 tail -2 nums
$1 seq 1 12 | $1 sort | $1 head -4
$1 echo b a c a b a | $1 tr ' ' '\n' | $1 sort | $1 uniq -c
$1 cat nums | $1 wc -l
$1 wc -c nums
$1 grep -c 1 nums
$1 grep -n '^1' nums | $1 head -3
$1 expr 6 '*' 7
$1 expr length hello
$1 mkdir -p d/e/f
$1 touch d/a d/e/b
$1 ln -s ../nums d/link
$1 find d | $1 sort
$1 find d -type f | $1 sort
$1 find d -name b
$1 find d -type l
$1 cat d/link | $1 wc -l
$1 readlink d/link
$1 mv d/a d/e/a2
$1 ls -1 d/e
$1 ls -l d/link | $1 awk '{print $1, $9, $10, $11}'
$1 stat -c '%n %s %F %a %h' nums d/link
$1 stat -c '%n %F %a %h' d
$1 touch -d '2020-01-02 03:04:05' nums
$1 ls -l nums | $1 awk '{print $1, $2, $5, $6, $7, $8, $9}'
$1 find d -type f | $1 sort | $1 xargs $1 wc -c
$1 seq 3 | $1 xargs $1 echo x
$1 cp nums copy
$1 cmp nums copy && echo cmp: same
$1 md5sum copy
$1 sed -n '3,5p' copy
$1 rm -r d copy
$1 ls -1
$1 kill -0 1 && echo kill -0 1: init is there
$1 kill -9 999999 2>&1
$1 ps | $1 head -1
echo applets: end
