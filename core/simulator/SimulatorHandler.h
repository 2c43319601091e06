// The simulator's request handler: routing, authentication, validation, faults, answers.
#pragma once

#include "http/RequestHandler.h"
#include "simulator/SimulatorIdentities.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace quarry::bedrock {

struct SimulatorReply;

// One per worker thread (made by the server's handler factory, on that thread). A QObject so
// delayed answers and streams are its children and go away with it.
class SimulatorHandler : public QObject, public http::RequestHandler
{
    Q_OBJECT

public:
    explicit SimulatorHandler(std::shared_ptr<const SimulatorIdentities> identities);

    void handle(http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer) override;

private:
    // An error already sent when false.
    bool authenticate(const http::HttpRequest &request, http::ResponseWriter &writer) const;
    void converse(const QString &modelId, bool stream, const QByteArray &body,
                  const std::shared_ptr<http::ResponseWriter> &writer, const QElapsedTimer &started);
    void invoke(const QString &modelId, bool stream, const QByteArray &body,
                const std::shared_ptr<http::ResponseWriter> &writer, const QElapsedTimer &started);
    void countTokens(const QString &modelId, const QByteArray &body, http::ResponseWriter &writer);
    void answer(const std::shared_ptr<http::ResponseWriter> &writer, const SimulatorReply &reply, bool stream,
                bool injectStreamException, const QElapsedTimer &started);

    std::shared_ptr<const SimulatorIdentities> m_identities;
};

} // namespace quarry::bedrock
