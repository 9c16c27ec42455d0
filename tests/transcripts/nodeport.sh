#! --trace
# NodePort traffic arriving at the node's IP, in IPVS mode and then in iptables mode.
kubectl apply -f static/presets/sd-example.yml
kubectl apply -f nodeport.yml
sleep 10
kubectl get svc -n dev
minikube ssh
curl 192.168.49.2:30080
curl 192.168.49.2:30080
curl 192.168.49.2:31999
ipvsadm -Ln -t 192.168.49.2:30080
sdplay-proxy-mode iptables
curl 192.168.49.2:30080
iptables-save -t nat | grep ent-np
exit
