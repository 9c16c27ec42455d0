# ObjectMeta as the API server validates it (apimachinery ValidateObjectMetaAccessor,
# ValidateLabels, ValidateAnnotations, IsQualifiedName, IsValidLabelValue, IsDNS1123Label) and
# as kubectl prints one error or several (cmdutil.checkErr, MultipleErrors).
kubectl apply -f vm-label-value.yml
kubectl apply -f vm-label-key.yml
kubectl apply -f vm-annotations.yml
kubectl create -f vm-annotations-big.yml
kubectl apply -f vm-namespace.yml
kubectl create namespace dev.team
kubectl apply -f vm-many.yml
kubectl get cm
# kubectl label checks values itself (parseLabels, pkg/cmd/label) before asking the server;
# keys are the server's to refuse.
kubectl create configmap labelled
kubectl label configmap labelled "app=<script>alert(1)</script>"
kubectl label configmap labelled "bad key=x"
kubectl label configmap labelled a=b=c
kubectl label configmap labelled a=x a-
kubectl label configmap labelled app.kubernetes.io/name=web
# The chapter's snippet without indentation. `apply` first GETs the object by its name, which
# is empty here (metadata: is empty), and client-go refuses that (applyOneObject). `create`
# POSTs it: strict decoding names every field it does not know, in the order the API server
# meets them (kubectl sends JSON from a Go map: sorted keys).
kubectl apply -f vm-snippet.yml
kubectl create -f vm-snippet.yml
kubectl apply -f vm-path-name.yml
kubectl create -f vm-path-name.yml
# generateName (ValidateObjectMetaAccessor checks it as a prefix, maskTrailingDash): create
# completes the name; apply cannot GET an object it cannot name.
kubectl create -f vm-generate-name.yml
kubectl apply -f vm-generate-name.yml
