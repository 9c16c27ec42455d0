#! --ipvs-scheduler wlc
# kube-proxy's --ipvs-scheduler is a setting: the cluster starts with wlc here (sdplay --ipvs-scheduler), and a node command stands in for editing the kube-proxy ConfigMap and restarting it with sh (source hashing), after which one client always reaches the same Pod.
kubectl apply -f static/presets/sd-example.yml
sleep 10
minikube ssh
ipvsadm -Ln -t 10.96.0.1:443
sdplay-proxy-mode
sdplay-proxy-mode ipvs --ipvs-scheduler sh
ipvsadm -Ln -t 10.96.0.1:443
exit
kubectl exec -it jump -n dev -- bash
apt-get update
apt-get install -y curl
curl -s ent:8080
curl -s ent:8080
curl -s ent:8080
exit
