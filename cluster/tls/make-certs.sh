#!/usr/bin/env bash
# Makes the certificates of cluster remoting (TLS with mutual authentication, see docs/security.md): one CA, and
# a key store per node signed by it, with the JDK's keytool (every Java runtime has it; no openssl needed).
#
#   cluster/tls/make-certs.sh DIR NAME...      e.g.  cluster/tls/make-certs.sh target/tls node1 node2 node3
#
# Writes into DIR (created 0700; every file 0600):
#   ca.p12, ca.p12.password        the CA's key: keep it to add nodes later; a node never needs it
#   ca.crt                         the CA's certificate (PEM)
#   trust.p12, trust.p12.password  the trust store of every node: the CA's certificate only
#   NAME.p12, NAME.p12.password    the key store of node NAME: its key and certificate (chain NAME <- CA)
# A node uses:  SUTAZAI_TLS_KEY_STORE=DIR/NAME.p12  SUTAZAI_TLS_TRUST_STORE=DIR/trust.p12  (the passwords are read
# from the .password files next to them). Idempotent: an existing CA and existing node stores are kept, so running
# it again with one more NAME adds a node to a running cluster. Any number of names; DIR anywhere.
#
# Environment: SUTAZAI_TLS_DAYS (validity of node certificates, days; default 825), SUTAZAI_TLS_SAN (extra
# subjectAltName entries of node certificates, e.g. "dns:node1.example.org,ip:10.0.0.5"; informational: nodes
# trust peers by CA, not by host name), JAVA_HOME (keytool is taken from there, else from PATH).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 DIR NAME... (at least one node name)" >&2
  exit 2
fi
dir="$1"; shift
days="${SUTAZAI_TLS_DAYS:-825}"
keytool="keytool"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ] && keytool="$JAVA_HOME/bin/keytool"
command -v "$keytool" >/dev/null || { echo "make-certs: keytool not found (install a JDK/JRE or set JAVA_HOME)" >&2; exit 1; }
log() { echo "make-certs: $*" >&2; }
kt() { "$keytool" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@" >/dev/null 2>"$dir/.keytool.err" || { cat "$dir/.keytool.err" >&2; exit 1; }; }
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
password() { [ -s "$1" ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32 >"$1"; }

for name in "$@"; do
  case "$name" in
    ca|trust|*/*|.*|"") log "bad node name '$name' (not ca, trust, empty, or with / or a leading dot)"; exit 2 ;;
  esac
done

if [ ! -s "$dir/ca.p12" ]; then
  log "CA: $dir/ca.p12"
  password "$dir/ca.p12.password"
  kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname "CN=sutazai-cluster-ca" \
    -validity 3650 -ext bc:c -ext KU=keyCertSign,cRLSign -storetype PKCS12 -keystore "$dir/ca.p12" \
    -storepass:file "$dir/ca.p12.password"
  rm -f "$dir/ca.crt" "$dir/trust.p12"
fi
[ -s "$dir/ca.crt" ] || kt -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -storepass:file "$dir/ca.p12.password" -file "$dir/ca.crt"
if [ ! -s "$dir/trust.p12" ]; then
  password "$dir/trust.p12.password"
  kt -importcert -noprompt -alias ca -file "$dir/ca.crt" -storetype PKCS12 -keystore "$dir/trust.p12" \
    -storepass:file "$dir/trust.p12.password"
fi

for name in "$@"; do
  store="$dir/$name.p12"
  if [ -s "$store" ]; then
    log "$name: $store kept"
    continue
  fi
  log "$name: $store"
  tmp="$dir/.$name.tmp.p12"
  rm -f "$tmp" "$dir/.$name.csr" "$dir/.$name.crt"
  password "$store.password"
  san="dns:$name,dns:localhost,ip:127.0.0.1${SUTAZAI_TLS_SAN:+,$SUTAZAI_TLS_SAN}"
  kt -genkeypair -alias node -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname "CN=$name" \
    -validity "$days" -storetype PKCS12 -keystore "$tmp" -storepass:file "$store.password"
  kt -certreq -alias node -keystore "$tmp" -storepass:file "$store.password" -file "$dir/.$name.csr"
  kt -gencert -rfc -alias ca -keystore "$dir/ca.p12" -storepass:file "$dir/ca.p12.password" \
    -infile "$dir/.$name.csr" -outfile "$dir/.$name.crt" -validity "$days" -sigalg SHA256withECDSA \
    -ext "SAN=$san" -ext KU=digitalSignature -ext EKU=serverAuth,clientAuth
  kt -importcert -noprompt -alias ca -file "$dir/ca.crt" -keystore "$tmp" -storepass:file "$store.password"
  kt -importcert -noprompt -alias node -file "$dir/.$name.crt" -keystore "$tmp" -storepass:file "$store.password"
  rm -f "$dir/.$name.csr" "$dir/.$name.crt"
  mv "$tmp" "$store"
done
rm -f "$dir/.keytool.err"
