# get -o yaml|json: single object, List, empty List, NotFound; the coredns Corefile as a literal block.
kubectl get cm coredns -n kube-system -o yaml
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl get svc ent -n dev -o yaml
kubectl get pod jump -n dev -o yaml
kubectl get deploy -n prod -o json
kubectl get ep ent -n dev -o yaml
kubectl get pods -n kube-public -o yaml
kubectl get pod nope -o yaml
