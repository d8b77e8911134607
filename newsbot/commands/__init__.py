"""newsbot's Scrapy commands (``COMMANDS_MODULE``): ``scrapy mergefeeds``."""
