# --dry-run=client for apply, delete, scale, label: the messages and -o name as kubectl v1.32 prints them; nothing changes (get afterwards).
kubectl create deployment web --image=nginx --port=80
sleep 5
kubectl apply -f dry-run-apply.yml --dry-run=client --validate=false
kubectl apply -f dry-run-apply.yml --dry-run=client --validate=false -o name
kubectl scale deployment web --replicas=3 --dry-run=client
kubectl scale deployment web --replicas=3 --dry-run=client -o name
kubectl scale deployment web --dry-run=client
kubectl label deployment web tier=front --dry-run=client
kubectl label deployment web tier=front --dry-run=client -o name
kubectl label deployment web app=x --dry-run=client
kubectl delete deployment web --dry-run=client
kubectl delete deployment web --dry-run=client -o name
kubectl delete deployment nope --dry-run=client
kubectl delete deployment web --dry-run=client -o yaml
kubectl delete -f dry-run-apply.yml --dry-run=client
kubectl create namespace dev --dry-run=bogus
kubectl create namespace dev --dry-run=client -o bogus
kubectl create deployment web --image=nginx --dry-run=client -o wide
kubectl run jump --image=ubuntu --restart=Sometimes --dry-run=client
kubectl run jump --image=ubuntu -it --dry-run=client
kubectl get ns
kubectl get deploy --show-labels
# -o yaml of label prints the object as it would be (scale: as it is)
kubectl label deployment web tier=front --dry-run=client -o yaml
kubectl get deploy web -o jsonpath='{.metadata.labels}{"\n"}'
# Verbs without a --dry-run flag refuse it, as cobra does (kubectl v1.32.4).
kubectl get pods --dry-run=client
kubectl describe svc kubernetes --dry-run
kubectl logs jump --dry-run=client
