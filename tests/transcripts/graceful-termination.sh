# kube-proxy's graceful termination in IPVS mode: a real server whose Pod is gone stays at weight 0 while its connections live (curl's sit in TIME_WAIT for 120 s), new connections skip it, and the minute check after they expire deletes it.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump -n dev -- bash
apt-get update
apt-get install -y curl
curl -s ent:8080
curl -s ent:8080
exit
kubectl scale deployment enterprise -n dev --replicas=1
sleep 1
minikube ssh
sudo ipvsadm -Ln -t 10.99.108.144:8080
exit
kubectl exec jump -n dev -- curl -s ent:8080
kubectl exec jump -n dev -- curl -s ent:8080
sleep 120
minikube ssh
sudo ipvsadm -Ln -t 10.99.108.144:8080
exit
sleep 60
minikube ssh
sudo ipvsadm -Ln -t 10.99.108.144:8080
exit
