package io.tierflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

    @Test
    void freePortsAreBindableDistinctAndOutsideTheRangeOfOutgoingConnections() throws Exception {
        int ephemeralFrom = LocalStackConfig.ephemeralPortsFrom();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = LocalStackConfig.freePort();
            assertTrue(port < ephemeralFrom, port + " is in the OS's ephemeral range from " + ephemeralFrom);
            assertTrue(ports.add(port), port + " handed out twice");
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LocalStackConfig.HOST))) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    @Test
    void aStackOnFreePortsHasAPortOfItsOwnForEveryPart() {
        LocalStackConfig config = LocalStackConfig.onFreePorts(Path.of("unused"));
        List<Integer> ports = new ArrayList<>(List.of(config.kafkaPort(), config.controllerPort(),
                config.registryPort()));
        ports.addAll(config.sitePorts().values());
        assertEquals(ports.size(), new HashSet<>(ports).size(), "ports " + ports);
    }
}
