# kubectl's usage and flag errors, worded as kubectl v1.32.4 prints them (client-side: checked against the real client).
kubectl apply
