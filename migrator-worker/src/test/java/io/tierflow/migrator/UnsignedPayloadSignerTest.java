package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

class UnsignedPayloadSignerTest {
    private static final byte[] BODY = "some bytes".getBytes();

    @Test
    void shouldLeaveTheBodyUnsignedOnPlainHttpAndKeepTheProtocol() {
        SignedRequest signed = sign("http", 19001);

        assertEquals("UNSIGNED-PAYLOAD", signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertEquals("http", signed.request().protocol());
        assertEquals(19001, signed.request().port());
        assertTrue(signed.request().firstMatchingHeader("Authorization").orElseThrow()
                .startsWith("AWS4-HMAC-SHA256 Credential=tierflow/"), "headers are still signed");
    }

    @Test
    void shouldLeavePortEightyToTheSdkDefaultBecauseTheHostHeaderWouldChange() {
        SignedRequest signed = sign("http", 80);

        assertEquals(64, signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow().length(),
                "the SHA-256 of the body, as the SDK signs it over http");
    }

    private static SignedRequest sign(String protocol, int port) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol(protocol)
                .host("127.0.0.1").port(port).encodedPath("/tierflow/key").build();
        return new UnsignedPayloadSigner().sign(b -> b
                .identity(AwsBasicCredentials.create("tierflow", "secret"))
                .request(request)
                .payload(() -> new ByteArrayInputStream(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    }
}
