# --dry-run=client: kubectl's generators print the object and nothing is created; checked byte for byte against kubectl v1.32.
kubectl create namespace dev --dry-run=client
kubectl create namespace dev --dry-run=client -o yaml
kubectl create namespace dev --dry-run=client -o json
kubectl create namespace dev --dry-run=client -o name
kubectl create deployment web --image=nginx --port=80 --replicas=3 --dry-run=client -o yaml
kubectl create deployment web --image=nginx --dry-run=client -o json
kubectl create deployment web --image=nginx -n dev --dry-run=client -o yaml
kubectl create service clusterip ent --tcp=8080:8080 --dry-run=client -o yaml
kubectl create service clusterip x --tcp=80 --tcp=81:http --dry-run=client -o json
kubectl create service clusterip h --clusterip=None --dry-run=client -o yaml
kubectl create service nodeport np --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml
kubectl create service loadbalancer lb --tcp=80 --dry-run=client -o json
kubectl create service externalname ex --external-name=example.com --dry-run=client -o yaml
kubectl create configmap cfg --from-literal=a=b --from-literal=x=1 --dry-run=client -o yaml
kubectl create configmap cfg --from-literal=a=b --dry-run=client -o json
kubectl run jump --image=ubuntu --dry-run=client -o yaml
kubectl run jump --image=ubuntu --port=80 -l a=b,c=d --restart=Never --dry-run=client -o json -- sleep 1
kubectl run jump --image=ubuntu --dry-run=client
kubectl run jump --image=ubuntu --dry-run=client -o name
kubectl create deployment web --image=nginx --port=80
kubectl expose deployment web --port=80 --dry-run=client -o yaml
kubectl expose deployment web --port=8080 --target-port=80 --type=NodePort --name=web-np --dry-run=client -o json
kubectl expose deployment web --port=80 --dry-run=client
kubectl create service clusterip ent --tcp=8080:8080 --dry-run=client -o jsonpath='{.spec.ports[0].name}{"\n"}'
kubectl get ns
kubectl get svc
