# Secrets: kubectl create secret generic (its generator for --dry-run=client, checked against kubectl v1.32.4), get, describe, -o yaml with base64 data, apply -f with data and stringData, delete.
kubectl create secret generic db --from-literal=user=admin --from-literal=password=s3cr=t --dry-run=client -o yaml
kubectl create secret generic x -n dev --from-literal=k=v --type=kubernetes.io/basic-auth --dry-run=client -o json
kubectl create secret generic x --dry-run=client -o yaml
kubectl create secret generic x --from-literal=k=v --dry-run=client
kubectl create secret generic x --from-literal==v --dry-run=client
kubectl create secret generic x --from-literal=a.b/c=v --dry-run=client
kubectl create secret generic x --from-literal=k=v --from-literal=k=w --dry-run=client
kubectl create secret generic --dry-run=client
kubectl get secrets
kubectl create secret generic db --from-literal=user=admin --from-literal=password=s3cr=t
kubectl create secret generic db --from-literal=a=b
kubectl create secret generic db2 --from-literal=a=b --dry-run=server -o yaml
kubectl get secrets
kubectl get secret db -o yaml
kubectl get secret db -o jsonpath='{.data.password}{"\n"}'
kubectl describe secret db
kubectl apply -f secret.yml
kubectl get secrets
kubectl describe secret web-auth
kubectl get secret web-auth -o json
kubectl delete secret db
kubectl get secrets -A
kubectl apply -f secret-bad.yml
