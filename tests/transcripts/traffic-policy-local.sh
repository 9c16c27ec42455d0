#! --nodes 2
# internalTrafficPolicy and externalTrafficPolicy Local: each node's kube-proxy programs only the endpoints on that node, for ClusterIP traffic and for NodePort traffic respectively.
kubectl apply -f traffic-local.yml
sleep 10
kubectl get pods -o wide
kubectl get svc
kubectl get svc web-local web-np -o yaml | grep TrafficPolicy
kubectl describe svc web-np | grep Policy
minikube ssh
sudo ipvsadm -Ln
curl -s --max-time 2 192.168.49.2:30080 | grep title
exit
minikube ssh -n minikube-m02
sudo ipvsadm -Ln
curl -s 192.168.49.3:30080 | grep title
exit
