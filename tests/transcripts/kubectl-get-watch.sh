# kubectl get -w: the current list, then one line per watch event, the header once, columns as wide as they have been (liggitt/tabwriter RememberWidths). In a script a watch lasts until the next command; --request-timeout lets that much simulated time pass within it.
kubectl get pods -w
kubectl create deployment web --image=nginx --replicas=2
kubectl get pods -w --request-timeout=20s
kubectl get deploy web -w --request-timeout=5
kubectl scale deployment web --replicas=1
kubectl get pods -l app=web -w --watch-only --request-timeout=40s
kubectl get pods -o name -w --request-timeout=1s
kubectl get pods,svc -w
kubectl get all -w
kubectl get pods -w --request-timeout=-5s
kubectl get pod nope -w
kubectl get ns -w
