//! Tests over whole inputs: the three labs, the fixtures under `fixtures/k8s`, hostile YAML.
