// Non-variadic wrappers of libcurl's variadic calls, which Swift cannot call (NOTES-stack: SFTP push).
#ifndef ESSOR_CCURL_SHIM_H
#define ESSOR_CCURL_SHIM_H
#include <curl/curl.h>

CURLcode essor_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode essor_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode essor_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode essor_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode essor_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode essor_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
