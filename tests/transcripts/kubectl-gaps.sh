# logs TYPE/NAME and -l, describe svc with no selector, create service clusterip --clusterip=None without a port, create configmap, externalname, -o errors.
kubectl logs deploy/coredns -n kube-system
kubectl logs -l k8s-app=kube-dns -n kube-system
kubectl logs deploy/nope
kubectl logs -l app=nope
kubectl describe svc kubernetes
kubectl create service clusterip headless --clusterip=None
kubectl create service externalname ext --external-name=example.com
kubectl create service externalname bad --external-name=Bad_Name
kubectl create configmap cfg --from-literal=greeting=hello --from-literal=n=1
kubectl create configmap dup --from-literal=a=1 --from-literal=a=2
kubectl get cm cfg -o yaml
kubectl get svc -o jsonpath='{.items[*].metadata.name}{"\n"}'
kubectl get svc headless -o jsonpath='{.spec.clusterIP}{"\n"}'
kubectl get svc ext -o jsonpath='{.spec.ports[3]}'
kubectl get svc -o bogus
kubectl get svc -o jsonpath
kubectl get svc -o custom-columns=NAME:.metadata.name
