# kubectl's usage and flag errors, worded as kubectl v1.32.4 prints them (all client-side, before any request: each line checked against the real client).
kubectl apply
kubectl get pods --bogus
kubectl get pods -w=maybe
kubectl get pods -xw
kubectl get pods ---x
kubectl get pods -n
kubectl get pods --selector
kubectl scale --replicas=abc deploy/web
kubectl create deployment web --image=nginx --replicas=x
kubectl create deployment web --image=nginx --port=abc
kubectl create deployment web --image=nginx --port=99999999999
kubectl create deployment --image=nginx
kubectl create deployment a b --image=nginx
kubectl create ns
kubectl create configmap
kubectl create service clusterip
kubectl create svc nodeport web --tcp=80 --node-port=abc
kubectl create service --dry-run=client
kubectl create foo bar
kubectl delete pod web --grace-period=1.5
kubectl delete pod web --wait=no
kubectl logs --since=3x web
kubectl logs --since=3 web
kubectl logs --tail=abc web
kubectl run web --image=nginx --restart=Sometimes
kubectl run web --image=nginx --dry-run=maybe
kubectl expose deploy web --port=80 --dry-run=client -o bogus
kubectl get pods --dry-run=client
kubectl label pods web a=b --overwrite=yes
kubectl exec web -c
kubectl describe pods --show-events=nope
kubectl get pods --request-timeout=abc
kubectl version --request-timeout=1x
kubectl get pods -w --request-timeout=abc
kubectl get pods -w -o name --request-timeout=abc
