# What each image answers, with curl 8.5's headers (-i, -v) and its errors.
kubectl apply -f static/presets/sd-example.yml
kubectl apply -f apps.yml
sleep 10
kubectl get pods -n apps -o wide
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl -i web.apps
curl web.apps/missing
curl -sI 10.244.0.8
curl -v 10.244.0.9
curl -i 10.244.0.9/nope
curl 10.244.0.10:8080/hostname
curl 10.244.0.10:8080/clientip
curl "10.244.0.10:8080/echo?msg=hi%20there"
curl -i 10.244.0.10:8080/
curl -i 10.244.0.10:8080/healthz
curl -i 10.244.0.11:5678
curl 10.244.0.11:5678/health
curl 10.244.0.12
curl 10.244.0.13:3000
curl -sf web.apps/missing
curl -s -o /dev/null -w '%{http_code}\n' web.apps
curl nowhere.apps
curl 10.96.0.10:53
curl --connect-timeout 3 10.99.99.99
curl -sS 10.244.0.12
curl -s 10.244.0.12
exit
