#! --nodes 2
# A Pod with spec.nodeName set bypasses the scheduler (no Scheduled event) and is started by that node's kubelet.
kubectl apply -f pod-node-name.yml
sleep 10
kubectl get pod pinned -o wide
kubectl describe pod pinned
