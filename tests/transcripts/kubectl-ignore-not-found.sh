# --ignore-not-found drops NotFound (GetOptions and DeleteOptions filter it with
# IgnoreErrors(apierrors.IsNotFound)): no error line, exit 0, and get prints no "No resources
# found"; delete --all selects every object of the kind and defaults it to true.
kubectl apply -f static/presets/sd-example.yml
sleep 20
kubectl get pod nosuch -n prod
echo $?
kubectl get pod nosuch -n prod --ignore-not-found
echo $?
kubectl get pods -n default --ignore-not-found
kubectl get pod nosuch jump -n dev --ignore-not-found
kubectl get pod nosuch -n prod -o yaml --ignore-not-found
echo $?
kubectl delete pod nosuch -n prod
echo $?
kubectl delete pod nosuch -n prod --ignore-not-found
echo $?
kubectl delete svc nosuch ent -n dev --ignore-not-found
kubectl delete pods --all -n prod --wait=false
kubectl delete pods --all -n default
echo $?
