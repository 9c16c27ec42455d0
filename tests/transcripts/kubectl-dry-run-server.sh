# --dry-run=server: the API server admits, validates and defaults the object and stores nothing; the ClusterIP it shows is not taken (the real create gets the same one).
kubectl create namespace dev --dry-run=server
kubectl create namespace dev --dry-run=server -o yaml
kubectl create service clusterip ent --tcp=8080:8080 -n dev --dry-run=server
kubectl create namespace dev
kubectl create service clusterip ent --tcp=8080:8080 -n dev --dry-run=server -o yaml
kubectl create service clusterip ent --tcp=8080:8080 -n dev
kubectl get svc -n dev
kubectl create service clusterip ent --tcp=8080:8080 -n dev --dry-run=server
kubectl create service nodeport np --tcp=80:8080 -n dev --dry-run=server -o jsonpath='{.spec.clusterIP} {.spec.ports[0].nodePort}{"\n"}'
kubectl create deployment web --image=nginx --port=80 --dry-run=server -o yaml
kubectl run jump --image=ubuntu -n dev --dry-run=server -o yaml
kubectl run Bad --image=ubuntu --dry-run=server
kubectl apply -f dry-run-apply.yml --dry-run=server
kubectl delete svc ent -n dev --dry-run=server
kubectl delete svc nope -n dev --dry-run=server
kubectl label svc ent -n dev tier=back --dry-run=server
kubectl get ns
kubectl get all -n dev --show-labels
