# Events as controllers and the kubelet record them (reasons and messages from kube-scheduler,
# kubelet images/kuberuntime, the deployment and replicaset controllers); `kubectl get events`
# as printers.go prints them, in the server's order (by event name); describe's Events table.
kubectl get events
kubectl apply -f static/presets/sd-example.yml
sleep 8
kubectl get events -n dev
kubectl get events -n dev --sort-by=.foo
kubectl describe pod jump -n dev
kubectl describe deploy enterprise -n dev
kubectl describe rs -n dev
kubectl scale deploy enterprise --replicas=3 -n dev
sleep 5
kubectl scale deploy enterprise --replicas=1 -n dev
kubectl delete pod jump -n dev
sleep 10
kubectl get events -A
sleep 3600
kubectl get events -n dev
