#! --trace
# LoadBalancer Services on minikube: EXTERNAL-IP stays <pending> until `minikube tunnel` runs;
# the tunnel sets the ingress to the ClusterIP and routes the service network via the node.
kubectl apply -f static/presets/sd-example.yml
kubectl apply -f lb-ent.yml
sleep 10
kubectl get svc -n dev
curl --connect-timeout 5 10.98.144.85
minikube tunnel
kubectl get svc -n dev
curl 10.98.144.85
curl 10.98.144.85
curl 10.102.125.70
curl 192.168.49.2:32594
curl --connect-timeout 5 10.244.0.3:8080
minikube ssh
ipvsadm -Ln -t 10.98.144.85:80
exit
