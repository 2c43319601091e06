// Wires the simulator's handler to the HTTP server.
#include "simulator/BedrockSimulator.h"

#include "http/HttpServer.h"
#include "simulator/SimulatorHandler.h"
#include "simulator/SimulatorIdentities.h"

namespace quarry::bedrock {

BedrockSimulator::BedrockSimulator(QObject *parent)
    : QObject(parent), m_identities(std::make_shared<SimulatorIdentities>())
{
    http::ServerOptions options;
    // Clients reach the simulator through a provider host override and may send the real
    // Bedrock Host; every request is authenticated and nothing here is secret, so no Host check.
    options.checkHost = false;
    std::shared_ptr<const SimulatorIdentities> identities = m_identities;
    m_server = new http::HttpServer([identities] { return std::make_unique<SimulatorHandler>(identities); },
                                    options, this);
}

BedrockSimulator::~BedrockSimulator() = default;

void BedrockSimulator::addIdentity(const QString &accessKeyId, const QString &secretAccessKey)
{
    m_identities->addIdentity(accessKeyId, secretAccessKey);
}

void BedrockSimulator::expireIdentity(const QString &accessKeyId)
{
    m_identities->expireIdentity(accessKeyId);
}

void BedrockSimulator::addApiKey(const QString &bedrockApiKey)
{
    m_identities->addApiKey(bedrockApiKey);
}

Status BedrockSimulator::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 BedrockSimulator::port() const
{
    return m_server->serverPort();
}

} // namespace quarry::bedrock
