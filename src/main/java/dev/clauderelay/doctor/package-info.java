/**
 * {@code claude-relay doctor}: diagnoses the connection to each configured region, layer by layer
 * (configuration, environment, DNS, TCP, TLS, HTTP and auth), and says for each failure its cause
 * and its fix. Uses the relay's own transport and probe layers, so that it takes the path traffic
 * takes. Never shows a key: fingerprints only. See docs/doctor.md.
 */
package dev.clauderelay.doctor;
