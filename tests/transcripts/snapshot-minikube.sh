#! --snapshot snapshots/minikube.yaml
# A minikube cluster's snapshot: one node at 192.168.49.2, kube-proxy in its default mode (mode "" is iptables), the Corefile with minikube's log and hosts blocks; kube-proxy's DaemonSet Pod is listed as not imported. A new Pod resolves the imported Service through the imported CoreDNS and curl reaches the imported Pods through the ClusterIP.
kubectl get pods -A -o wide
kubectl get svc,ep -A
kubectl get deploy hello -o wide
kubectl get rs -n default
kubectl run jump --image=nicolaka/netshoot --restart=Never -- sleep 3600
sleep 10
kubectl get pods -o wide
kubectl exec jump -- nslookup hello
kubectl exec jump -- curl -s hello:8080
kubectl exec jump -- curl -s hello:8080
kubectl logs -n kube-system coredns-6f6b679f8f-xzq4n
kubectl scale deploy hello --replicas=3
sleep 10
kubectl get pods -l app=hello -o wide
kubectl get rs -n default
