# The workstation's shell is bash: lists, loops, conditionals, variables and $(…), with bash's own error texts.
echo a; echo b && echo c || echo d
false && echo no || echo yes
false; echo $?
! true; echo $?
x=5; echo $x ${x}y "$x" '$x' ${undefined}x$undefined.
for i in 1 2 3; do echo "item $i"; done
for i in $(seq 2 4); do echo -n "$i "; done; echo
i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done
until [ "$i" = 0 ]; do i=$((i-1)); done; echo "i=$i"
if [ 1 -lt 2 ]; then echo less; else echo more; fi
if false; then echo a; elif [ -n "x" ]; then echo b; else echo c; fi
[ a = b ]; echo $?
[ 1 -lt a ]; echo $?
[ 1 -lt 2; echo $?
echo $(echo hi) $(seq 3) "$(seq 2)"
echo $((2+3*4)) $((7/2)) $((7%3))
echo $((1/0)); echo not reached
(x=inner; echo $x); echo $x
{ echo grp; }
test -z "" && echo empty; test -n x && echo nonempty
seq 3 1; seq 1 2 9
foo; echo $?
done
for i in 1 2; done
if true; fi
| grep x
echo a ;;
for 1 in a; do echo; done
for i in 1 2 3
do
echo $i
done
echo a &&
echo b
echo "a
b"
