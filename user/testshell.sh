# testshell.sh: a script for /bin/sh, run by grade/lab5.py with init="/bin/sh /etc/testshell.sh".
# Everything it prints, in order, must equal grade/lab5-testshell.expected: words and quotes,
# ; && ||, $?, redirections < > >> 2> 2>&1, pipelines of several stages, a background job,
# cd, and a program that does not exist. It uses only ls cat echo wc grep mkdir rm true false.
echo testshell: start

# Words and quotes.
echo simple   words  are   split
echo 'single quotes keep  spaces and $0' "double quotes expand $0"
echo "it's" 'a "quoted" word' back\ slash

# Lists and exit statuses.
echo one; echo two ;echo three
true; echo true: $?
false; echo false: $?
true && echo and after true
false && echo and after false
false || echo or after false
nosuch; echo nosuch: $?
/bin/echo a program named by its path

# Redirections.
mkdir -p /tmp/sh/dir
cd /tmp/sh
echo first line > f
echo second line >> f
echo third line >> f
cat f
cat < f
wc -l < f > count
cat count
cat missing 2> err; echo cat missing: $?
cat err
cat missing 2>&1 | grep missing
echo replaced > count
cat count

# Pipelines, with more data than a pipe holds.
cat f | grep line | grep -v second | wc -l
cat f | cat | cat | cat | grep third
cat f f f f > f4
cat f4 f4 f4 f4 > f16
cat f16 f16 f16 f16 > f64
cat f64 f64 f64 f64 > f256
cat f256 f256 f256 f256 > f1024
wc f1024
cat f1024 | cat | grep line | wc -l
grep -c first f1024
grep -v line f1024 | wc -c

# A background job, then wait.
cat f1024 > copy &
wait
wc -c copy
cat f | wc -l &
wait

# cd and ls; a quoted name is one word.
mkdir "with space"
ls
cd dir
ls ..
cd /nosuch; echo cd: $?
cd ..
rm f4 f16 f64 f256 f1024 copy count err
ls
rm f
rm f; echo rm again: $?
ls
echo testshell: done
