package portkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// startCloud serves HTTPS as the description's server (Portkey's cloud), with a
// certificate for its host name that only s.client trusts.
func (s *Server) startCloud() error {
	cloud, err := cloudURL(s.spec.ServerURL())
	if err != nil {
		return err
	}
	cert, pool, err := selfSigned(cloud.Hostname())
	if err != nil {
		return fmt.Errorf("portkeytest: making a certificate: %w", err)
	}

	s.prefix = strings.TrimSuffix(cloud.EscapedPath(), "/")
	s.http.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.http.StartTLS()
	s.URL = cloud.String()

	port := cloud.Port()
	if port == "" {
		port = "443"
	}
	s.client = loopbackClient(net.JoinHostPort(cloud.Hostname(), port),
		s.http.Listener.Addr().String(),
		&http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
	return nil
}

// selfSigned makes a short-lived certificate for host and a pool that trusts only it.
func selfSigned(host string) (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}

	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// cloudURL parses the description's server URL, which must be https to stand in for the
// cloud.
func cloudURL(serverURL string) (*url.URL, error) {
	u, err := url.Parse(serverURL)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return nil, fmt.Errorf("portkeytest: server URL %q is not an https URL", serverURL)
	}
	return u, nil
}
