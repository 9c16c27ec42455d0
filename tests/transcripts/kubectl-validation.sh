# Admission and apply: validation messages (apimachinery pkg/util/validation, core/validation),
# kubectl's error layout (cmdutil.checkErr, MultilineError, MultipleErrors, AddSourceToErr) and
# apply's created/configured/unchanged (kubectl pkg/cmd/apply).
kubectl apply -f val-ent.yml
kubectl apply -f val-two-errors.yml
kubectl apply -f val-deploy-no-selector.yml
kubectl apply -f val-mixed.yml
kubectl apply -f val-many.yml
kubectl get svc,cm
kubectl apply -f val-unknown-field.yml
kubectl apply -f val-wrong-type.yml
kubectl apply -f val-unknown-kind.yml
kubectl apply -f val-missing-ns.yml
kubectl apply -f val-web.yml
kubectl apply -f val-web.yml
kubectl apply -f val-web-v2.yml
kubectl apply -f val-ips.yml
kubectl apply -f val-ip-out-of-range.yml
kubectl apply -f val-ip-changed.yml
kubectl apply -f val-nodeports.yml
kubectl get svc
