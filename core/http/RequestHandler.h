// The seam between transport and application: the HTTP server hands each request to one of these.
#pragma once

#include "http/HttpRequest.h"
#include "http/ResponseWriter.h"

#include <memory>

namespace quarry::http {

// One instance per worker thread, created and used only on that thread.
class RequestHandler
{
public:
    virtual ~RequestHandler() = default;
    virtual void handle(HttpRequest request, std::shared_ptr<ResponseWriter> writer) = 0;
};

} // namespace quarry::http
