# kubectl delete --grace-period / --now / --force as DeleteFlags.ToOptions, DeleteOptions.Complete and Validate take them (the --now refusal, which is client-side, checked against kubectl v1.32.4; the rest as delete.go words it): a Pod terminates within the request's grace period instead of its own; 0 with --force deletes at once ("force deleted").
kubectl run web --image=nginx
kubectl run sleeper --image=busybox -- sleep 3600
sleep 5
kubectl delete pod web --now --grace-period=5
kubectl delete pod web --force --grace-period=3
kubectl delete pod web --grace-period=0 --dry-run=client
kubectl delete pod web --force --dry-run=client
kubectl delete pod web --force -o name --dry-run=client
kubectl delete pod web --force
kubectl get pods
kubectl delete pod sleeper --grace-period=3 --wait=false
kubectl get pods
sleep 4
kubectl get pods
