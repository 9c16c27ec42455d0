# A Pod's container image is the one spec field apply may change in place: the kubelet restarts the container (RESTARTS 1, not Ready until it runs again, same IP); renaming the container is refused.
kubectl apply -f pod-image-v1.yml
sleep 10
kubectl get pods -o wide
kubectl apply -f pod-image-v2.yml
kubectl get pods -o wide
sleep 10
kubectl get pods -o wide
kubectl apply -f pod-image-rename.yml
kubectl get events --sort-by=.lastTimestamp
