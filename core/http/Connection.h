// One client connection on a worker thread: socket bytes in, Beast-parsed requests to the handler, responses
// out.
#pragma once

#include "http/RequestParser.h"
#include "http/ResponseEncoder.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace quarry::http {

class ConnectionWriter;
class RequestGuard;
class RequestHandler;
struct ServerOptions;

// Requests are handled strictly in order: while a response is in flight the connection stops
// parsing (bytes wait in the socket, which bounds its read buffer) and resumes when it ends.
class Connection final : public QObject
{
    Q_OBJECT

public:
    using Clock = std::chrono::steady_clock;

    // After a response that closes the connection, how long to keep draining the client's
    // unread bytes so that closing does not reset the connection before it read the response.
    static constexpr std::chrono::milliseconds kLingerTime{2000};

    Connection(const ServerOptions &options, RequestHandler *handler,
               std::shared_ptr<const RequestGuard> guard, std::atomic<int> *activeCounter,
               QObject *parent = nullptr);
    ~Connection() override;

    bool open(qintptr socketDescriptor);
    void rejectOverloaded(); // 503, then close
    // Closes the connection if it has been waiting for a request (or lingering) too long.
    void sweep(Clock::time_point now);

    // ConnectionWriter side.
    void sendResponse(int status, const HttpHeaders &headers, const QByteArray &body);
    void sendStreamHead(int status, const HttpHeaders &headers);
    void sendStreamData(const QByteArray &data);
    void sendStreamEnd();
    void abandonResponse(bool streaming);
    bool isOpen() const;
    qint64 bytesToWrite() const { return m_socket.bytesToWrite(); }

Q_SIGNALS:
    void closed(quarry::http::Connection *connection);

private:
    enum class State { Reading, Responding, Closing, Closed };

    void processInput();
    void readAvailable();
    bool parseBuffered(); // true when a complete request is ready
    bool headerComplete();
    void dispatch();
    void finishResponse();
    ResponseEncoder::Persistence persistence() const;
    void sendError(int status, const QByteArray &jsonBody);
    void beginClose();
    void shutdownWrite();
    void onBytesWritten();
    void onDisconnected();

    const ServerOptions &m_options;
    RequestHandler *m_handler;
    std::shared_ptr<const RequestGuard> m_guard;
    std::atomic<int> *m_activeCounter;

    QTcpSocket m_socket;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    State m_state = State::Reading;
    std::optional<RequestParser> m_parser;
    bool m_headerChecked = false;
    QByteArray m_in;                      // received, not yet parsed (pipelined requests wait here)
    qsizetype m_inPos = 0;                // parsed prefix of m_in
    QByteArray m_out;                     // reused serialisation buffer
    ConnectionWriter *m_writer = nullptr; // the response in flight; owned by the handler
    bool m_keepAlive = true;
    bool m_http10 = false;
    bool m_headRequest = false;
    bool m_inDispatch = false;
    bool m_writeShut = false;
    Clock::time_point m_lastActivity;
};

} // namespace quarry::http
