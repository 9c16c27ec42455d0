# busybox ash in a busybox Pod: the same language, ash's own error texts ("sh: …"), busybox seq; Ctrl-D is not in a script, exit is.
kubectl apply -f dns-busybox.yml
sleep 10
kubectl exec -it bb -- sh
for i in 1 2 3; do echo "item $i"; done
i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done
x=$(seq 3 | tail -n 1); echo "last=$x"
[ 1 -lt a ]; echo $?
[ 1 -lt 2; echo $?
foo; echo $?
echo $((1/0)); echo not reached
done
for i in 1 2; done
if true; fi
for
for i in 1; do echo; done x
for i in 1 2 3
do
echo $i
done
exit
