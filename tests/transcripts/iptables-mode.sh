#! --proxy-mode iptables
# kube-proxy's default mode: chains with hashed names, DNAT picked with --probability.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl ent:8080
curl ent:8080
curl manchester:80
exit
minikube ssh
sudo iptables-save -t nat
sudo ipvsadm -Ln
ip addr show kube-ipvs0
exit
