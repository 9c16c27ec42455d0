#! --nodes 3 --cluster-cidr 10.244.0.0/23
# A cluster CIDR too small for its nodes: kube-controller-manager cuts one /24 per node from --cluster-cidr 10.244.0.0/23, so the third node gets none. The node-ipam controller records CIDRNotAvailable on it (again at each of the kubelet's 5-minute status updates), its bridge CNI has no range, the node is NotReady and tainted not-ready, and the scheduler leaves it out; kube-proxy (hostNetwork) still runs there.
kubectl get nodes -o wide
kubectl describe node minikube-m03
sleep 300
kubectl get events | grep CIDRNotAvailable
kubectl get pods -A -o wide | grep minikube-m03
kubectl create deployment web --image=nginx --replicas=4
sleep 10
kubectl get pods -o wide
# With the two schedulable nodes full, a Pod shows both reasons.
kubectl scale deployment web --replicas=215
sleep 20
kubectl get pods | grep Pending | head -n 1
kubectl get events | grep FailedScheduling | head -n 1
