// The Console tests' setting: QSettings kept in the test's directory (the window's geometry, not
// the user's) and the window's gateway answering from the built-in simulator on a free loopback
// port, started. The caller waits for it to run (QTRY_* needs a test function to return from).
#pragma once

#include "gateway/GatewayController.h"

#include <QHostAddress>
#include <QSettings>
#include <QString>

#include <memory>

namespace quarry::test {

inline std::unique_ptr<gateway::GatewayController> startSimulatedGateway(const QString &configDir,
                                                                         bool simulateOnRequest)
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, configDir + QStringLiteral("/settings"));
    gateway::GatewayOptions options;
    options.configDir = configDir;
    options.simulation = gateway::GatewayOptions::Simulation::On;
    options.simulateOnRequest = simulateOnRequest; // the Console's "Answered by: Simulator"
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0; // any free port; address() reports the real one
    auto gateway = std::make_unique<gateway::GatewayController>(options);
    gateway->start();
    return gateway;
}

} // namespace quarry::test
