// Beast's strict HTTP/1.1 request parser, producing an HttpRequest directly (no copy through beast::fields).
#pragma once

#include "http/HttpRequest.h"

#include <boost/beast/http/basic_parser.hpp>

namespace quarry::http {

// One instance parses one request; the connection makes a new one for the next request.
class RequestParser final : public boost::beast::http::basic_parser<true>
{
public:
    RequestParser(qsizetype maxHeaderBytes, qsizetype maxBodyBytes, qsizetype maxChunkExtensionBytes);

    HttpRequest &request() { return m_request; }
    const HttpRequest &request() const { return m_request; }
    int httpVersion() const { return m_version; } // 10 or 11
    bool expectsContinue() const { return m_expectContinue; }
    int hostFieldCount() const { return m_hostCount; }
    // Why put() failed with bad_chunk_extension / header_limit, when it was our limit.
    bool chunkExtensionTooLong() const { return m_chunkExtensionTooLong; }
    bool trailerTooLarge() const { return m_trailerTooLarge; }

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;
    using verb = boost::beast::http::verb;
    using field = boost::beast::http::field;

    void on_request_impl(verb method, string_view methodText, string_view target, int version,
                         error_code &ec) override;
    void on_response_impl(int, string_view, int, error_code &ec) override;
    void on_field_impl(field name, string_view nameText, string_view value, error_code &ec) override;
    void on_header_impl(error_code &ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t> &contentLength, error_code &ec) override;
    std::size_t on_body_impl(string_view body, error_code &ec) override;
    void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code &ec) override;
    std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code &ec) override;
    void on_finish_impl(error_code &ec) override;

    HttpRequest m_request;
    qsizetype m_maxBodyBytes;
    qsizetype m_maxHeaderBytes;
    qsizetype m_maxChunkExtensionBytes;
    qsizetype m_trailerBytes = 0;
    bool m_headerDone = false;
    bool m_chunkExtensionTooLong = false;
    bool m_trailerTooLarge = false;
    int m_version = 11;
    int m_hostCount = 0;
    bool m_expectContinue = false;
    bool m_sawTransferEncoding = false;
};

} // namespace quarry::http
