# Rolling update on a template change (deployment controller rolling.go): maxSurge 25% rounded
# up, maxUnavailable 25% rounded down; the new ReplicaSet grows and old ones shrink as Pods
# become available, one step per sync, with the ScalingReplicaSet events kubectl describe shows.
kubectl apply -f rollout-web-1.27.yml
sleep 10
kubectl get deploy,rs
kubectl apply -f rollout-web-1.28.yml
kubectl get rs
kubectl get deploy web
kubectl describe deploy web
sleep 1
kubectl get rs
sleep 2
kubectl get rs
sleep 10
kubectl get deploy,rs
kubectl get ep web
kubectl describe deploy web
kubectl apply -f rollout-web-1.27.yml
sleep 15
kubectl get rs
