// Beast's strict HTTP/1.1 response parser for calls to Bedrock: the status and headers as they
// arrive, the body appended to a buffer its reader drains (a stream is read as it comes).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <boost/beast/http/basic_parser.hpp>

namespace quarry::gateway::upstream {

// One instance parses one response; the call makes a new one per request.
class ResponseParser final : public boost::beast::http::basic_parser<false>
{
public:
    // The body buffer may hold at most `maxBufferedBody` undrained bytes (a stream is drained as it
    // is read; a whole answer must fit).
    ResponseParser(bool headRequest, qsizetype maxBufferedBody);

    int status() const { return m_status; }
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const;
    // The body bytes parsed so far and not yet taken.
    QByteArray takeBody() { return std::exchange(m_body, {}); }
    const QByteArray &body() const { return m_body; }
    bool bodyTooLarge() const { return m_bodyTooLarge; }

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code &ec) override;
    void on_response_impl(int status, string_view reason, int version, error_code &ec) override;
    void on_field_impl(boost::beast::http::field, string_view name, string_view value,
                       error_code &ec) override;
    void on_header_impl(error_code &) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t> &, error_code &) override {}
    std::size_t on_body_impl(string_view body, error_code &ec) override;
    void on_chunk_header_impl(std::uint64_t, string_view, error_code &) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code &ec) override;
    void on_finish_impl(error_code &) override {}

    std::size_t append(string_view body, error_code &ec);

    int m_status = 0;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    qsizetype m_maxBufferedBody;
    bool m_bodyTooLarge = false;
};

} // namespace quarry::gateway::upstream
