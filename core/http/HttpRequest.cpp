// Header lookup for parsed requests; names compare case-insensitively, as HTTP requires.
#include "http/HttpRequest.h"

namespace quarry::http {

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const HttpHeader &header : headers) {
        if (header.name.size() == name.size() &&
            QByteArrayView(header.name).compare(name, Qt::CaseInsensitive) == 0)
            return header.value;
    }
    return {};
}

} // namespace quarry::http
