// Response framing for one HTTP/2 stream; the session does the nghttp2 calls.
#include "http/Http2Stream.h"

#include "http/ConnectionWriter.h"
#include "http/Http2Session.h"
#include "http/ResponseEncoder.h"

#include <nghttp2/nghttp2.h>

#include <cstring>

using namespace Qt::StringLiterals;

namespace quarry::http {

Http2Stream::Http2Stream(Http2Session &session, std::int32_t id) : m_session(session), m_id(id) {}

Http2Stream::~Http2Stream()
{
    closed();
}

long Http2Stream::readBody(std::uint8_t *buffer, std::size_t length, std::uint32_t *flags)
{
    const qsizetype available = m_out.size() - m_outPos;
    const qsizetype count = std::min<qsizetype>(available, qsizetype(length));
    if (count > 0) {
        std::memcpy(buffer, m_out.constData() + m_outPos, std::size_t(count));
        m_outPos += count;
        if (m_outPos == m_out.size()) {
            m_out.resize(0); // keeps the capacity for the next write
            m_outPos = 0;
        }
    }
    if (m_outPos == m_out.size() && m_bodyEnded) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
        return long(count);
    }
    return count > 0 ? long(count) : long(NGHTTP2_ERR_DEFERRED);
}

void Http2Stream::closed()
{
    if (m_closed)
        return;
    m_closed = true;
    if (ConnectionWriter *writer = std::exchange(m_writer, nullptr))
        writer->connectionGone();
}

void Http2Stream::bytesWritten()
{
    if (m_writer)
        m_writer->bytesWritten(bytesToWrite());
}

void Http2Stream::sendResponse(int status, const HttpHeaders &headers, const QByteArray &body)
{
    m_writer = nullptr; // the writer is done with this stream
    if (m_closed)
        return;
    const bool withBody = !head && !ResponseEncoder::statusHasNoBody(status);
    m_out = withBody ? body : QByteArray();
    m_bodyEnded = true;
    m_session.submitHeaders(*this, status, headers, body.size(), withBody && !body.isEmpty());
}

void Http2Stream::sendStreamHead(int status, const HttpHeaders &headers)
{
    if (!m_closed)
        m_session.submitHeaders(*this, status, headers, -1, !head);
}

void Http2Stream::sendStreamData(const QByteArray &data)
{
    if (m_closed || head || data.isEmpty())
        return;
    m_out.append(data);
    m_session.resumeBody(m_id);
}

void Http2Stream::sendStreamEnd()
{
    m_writer = nullptr;
    if (m_closed)
        return;
    m_bodyEnded = true;
    if (!head)
        m_session.resumeBody(m_id);
}

void Http2Stream::abandonResponse(bool streaming)
{
    m_writer = nullptr;
    if (m_closed)
        return;
    if (streaming) {
        m_session.resetStream(m_id); // the client sees a reset, not a complete body
        return;
    }
    sendResponse(500, {{"content-type"_ba, "application/json"_ba}},
                 ResponseEncoder::errorBody(u"The request handler produced no response"_s, "api_error"_L1,
                                            "no_response"_L1));
}

qint64 Http2Stream::bytesToWrite() const
{
    return (m_out.size() - m_outPos) + m_session.socketPending();
}

QObject *Http2Stream::eventContext()
{
    return &m_session;
}

} // namespace quarry::http
