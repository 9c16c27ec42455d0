# kubectl run -it attaches to a new Pod's shell; leaving it prints attach's "Session ended" line (tty + restart Always). With --rm the Pod is deleted on exit; with --restart=Never there is no resume hint.
kubectl run -it toolbox --image=busybox
hostname
exit
kubectl get pods
kubectl run -it --rm scratch --image=busybox --restart=Never -- sh
hostname
exit
kubectl get pods
kubectl run -it --rm tmp --image=busybox
exit
sleep 31
kubectl get pods
