# kubectl run -it attaches to the new Pod's main process (here its shell): leaving it prints attach's "Session ended" hint (tty + restart Always) and the kubelet restarts the exited container (RESTARTS 1). With --rm the Pod is deleted on exit; with --restart=Never there is no resume hint and the Pod would be Completed.
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
kubectl run -it once --image=busybox --restart=Never
exit
kubectl get pods
