#! --ipvs-exclude-cidrs 10.0.0.0/24
# kube-proxy started with --ipvs-exclude-cidrs 10.0.0.0/24 leaves hand-made virtual servers in that range alone; others still go at its next sync, here caused by a new Service.
kubectl apply -f static/presets/sd-example.yml
sleep 10
minikube ssh
sudo ipvsadm -A -t 10.0.0.100:80 -s rr
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.3:8080 -m
sudo ipvsadm -A -t 10.0.1.100:80 -s rr
sudo ipvsadm -a -t 10.0.1.100:80 -r 10.244.0.4:8080 -m
exit
kubectl create service clusterip extra --tcp=80:8080
minikube ssh
sudo ipvsadm -Ln -t 10.0.0.100:80
sudo ipvsadm -Ln -t 10.0.1.100:80
curl -s 10.0.0.100
exit
