// A deterministic stand-in for Amazon Bedrock Runtime on a loopback port (no AWS account needed).
#pragma once

#include "util/Result.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace quarry::http {
class HttpServer;
}

namespace quarry::bedrock {

class SimulatorIdentities;

// Serves POST /model/{modelId}/converse and /model/{modelId}/converse-stream with Bedrock's wire
// formats (JSON, application/vnd.amazon.eventstream) and error shapes. Requests must carry a
// SigV4 signature (service "bedrock") from a known identity, or "Authorization: Bearer <key>"
// with a known API key.
//
// The answer is "Simulated reply from <modelId>: " + the first 40 words of the last user
// message; usage counts whitespace-separated words (input: system + all messages).
// inferenceConfig.maxTokens and stopSequences cut it, with stopReason max_tokens/stop_sequence.
//
// Fault-injection markers, anywhere in the last user message (removed from the echo):
//   [sim:throttle]          429 ThrottlingException
//   [sim:access-denied]     403 AccessDeniedException
//   [sim:stream-exception]  converse-stream only: after 3 deltas a throttlingException frame, then end
//   [sim:slow:<ms>]         wait <ms> (at most 120000) before answering
//   [sim:words:<n>]         the reply is exactly n words (for long-stream tests)
class BedrockSimulator : public QObject
{
    Q_OBJECT

public:
    explicit BedrockSimulator(QObject *parent = nullptr);
    ~BedrockSimulator() override;

    // An IAM user the simulator knows. May be called before or after listen().
    void addIdentity(const QString &accessKeyId, const QString &secretAccessKey);
    // A Bedrock API key, accepted as "Authorization: Bearer <key>".
    void addApiKey(const QString &bedrockApiKey);
    // From now on, signatures by this identity are refused with ExpiredTokenException.
    void expireIdentity(const QString &accessKeyId);

    // Port 0 picks a free port; see port().
    Status listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;

private:
    std::shared_ptr<SimulatorIdentities> m_identities;
    http::HttpServer *m_server = nullptr;
};

} // namespace quarry::bedrock
