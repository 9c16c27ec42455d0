# The headless preset: clusterIP None means no virtual server and one A record per ready Pod; hostname+subdomain Pods get their own names; SRV per endpoint with the targetPort.
kubectl apply -f static/presets/headless.yml
sleep 15
kubectl get svc,ep -n db
kubectl exec -it dig -n db -- sh
dig +search +short peers
dig +search +short solo.peers
dig +short SRV _http._tcp.peers.db.svc.cluster.local
nslookup peers.db.svc.cluster.local
exit
minikube ssh
ipvsadm -Ln
exit
