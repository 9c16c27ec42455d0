# apply over objects made imperatively (kubectl create/run/create -f record no
# last-applied-configuration): kubectl warns and patches (apply.go
# warningNoLastAppliedConfigAnnotation); -n against an object's own namespace is refused by the
# resource builder before anything is sent.
kubectl create deployment web --image=nginx:1.27 --replicas=3
kubectl apply -f val-web.yml
kubectl apply -f val-web.yml
kubectl create -f val-ips.yml
kubectl apply -f val-ips.yml
kubectl apply -f val-missing-ns.yml -n dev
kubectl apply -f static/presets/sd-example.yml -n dev
