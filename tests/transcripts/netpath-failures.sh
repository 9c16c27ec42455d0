# Connections that fail: no endpoints, a targetPort nothing listens on, a closed Pod port.
kubectl apply -f static/presets/sd-example.yml
kubectl apply -f ent-wrong-targetport.yml
sleep 10
kubectl get ep -n prod ent
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl ent:8080
curl manchester:80
curl ent.prod:8080
curl 10.244.0.3:81
curl 10.244.0.3:8080
exit
minikube ssh
ipvsadm -Lnc
exit
