#! --nodes 2 --trace
# Pods on two nodes: the node routes the other node's Pod CIDR via its IP.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl get pods -n dev -o wide
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl ent:8080
exit
minikube ssh
ip route
exit
minikube ssh -n minikube-m02
ip route
exit
